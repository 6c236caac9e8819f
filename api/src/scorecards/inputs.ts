// From what the services return (an answer's report and AI feedback, a mock interview's combined
// report, a period's progress) to the scorecards' plain inputs, and the PDF reply.
import type { FastifyReply } from 'fastify';
import type { Static } from 'typebox';
import type { AnswerSummary, AutomaticFeedback, StarPart } from '@rehearse/analysis';
import type { AiFeedback, Answer, MockReport, Progress, Report } from '@rehearse/protocol';
import type { AnswerScorecardInput, MockScorecardInput, ProgressScorecardInput } from './types.ts';

export function answerScorecardInput({ answer, report, ai, timeZone }: { answer: Static<typeof Answer>; report: Static<typeof Report>; ai: Static<typeof AiFeedback> | null; timeZone: string }): AnswerScorecardInput {
  const summary = report.summary as unknown as Partial<AnswerSummary>;
  const { question } = answer;
  const aiReport = ai?.status === 'complete' ? ai.report : null;
  return {
    generatedAt: new Date().toISOString(),
    timeZone,
    question: { text: question.text, competency: question.competency, framework: question.framework, difficulty: question.difficulty },
    answeredAt: answer.startedAt ?? answer.createdAt,
    durationMs: report.durationMs,
    metrics: summary.pace
      ? {
          words: summary.words ?? null,
          wpm: summary.pace.overall.wpm,
          targetWpm: summary.pace.target,
          fillers: summary.fillers?.count ?? null,
          fillersPerMinute: summary.fillers?.perMinute ?? null,
          topFillers: summary.fillers?.byPhrase ?? [],
          pauses: summary.pauses?.count ?? null,
          longestPauseSeconds: summary.pauses?.longest?.duration ?? null,
        }
      : null,
    star: summary.star ?? null,
    feedback: aiReport
      ? {
          source: 'ai',
          model: ai!.model,
          summary: aiReport.summary,
          rubric: aiReport.rubric,
          strengths: aiReport.strengths,
          improvements: aiReport.improvements,
          missing: aiReport.missing,
          strongerVersion: aiReport.strongerVersion.text ? aiReport.strongerVersion : null,
        }
      : (report.feedback as AutomaticFeedback),
    originalityNote: [report.offTopic?.message, report.originality.message].filter(Boolean).join(' ') || null,
    transcript: report.words.map((w) => w.punctuated ?? w.text).join(' '),
  };
}

export function mockScorecardInput(report: Static<typeof MockReport>, timeZone: string): MockScorecardInput {
  return {
    generatedAt: new Date().toISOString(),
    timeZone,
    role: report.mockInterview.role.replace(/-/g, ' ') || 'Any role',
    date: report.mockInterview.createdAt,
    questions: report.items.map((item) => ({
      question: item.question.text,
      competency: item.question.competency,
      durationMs: item.answer?.durationMs ?? null,
      wpm: item.answer?.wpm ?? null,
      fillersPerMinute: item.answer?.fillersPerMinute ?? null,
      starHeard: item.answer ? (item.answer.starHeard as StarPart[]) : null,
      score: item.answer?.score ?? null,
    })),
  };
}

export function progressScorecardInput(progress: Static<typeof Progress>, timeZone: string): ProgressScorecardInput {
  return { generatedAt: new Date().toISOString(), timeZone, from: progress.from, to: progress.to, answers: progress.points };
}

/** A PDF download: never cached by shared caches, never sniffed. */
export function sendPdf(reply: FastifyReply, pdf: Buffer, filename: string) {
  return reply
    .header('content-type', 'application/pdf')
    .header('content-disposition', `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, '-')}"`)
    .header('cache-control', 'private, no-store')
    .header('x-content-type-options', 'nosniff')
    .send(pdf);
}
