// The AI interviewer's voice: the browser's own speech synthesis (Web Speech API). Nothing is sent
// anywhere; a browser without voices still shows the text.

/** Speaks `text` (cancelling anything being said); resolves when done, or at once without speech synthesis. */
export function speak(text: string, { rate = 1 } = {}): Promise<void> {
  const synth = typeof window === 'undefined' ? undefined : window.speechSynthesis;
  if (!synth || typeof SpeechSynthesisUtterance === 'undefined') return Promise.resolve();
  synth.cancel();
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.lang = 'en-US';
  utterance.rate = rate;
  return new Promise((resolve) => {
    utterance.onend = () => resolve();
    utterance.onerror = () => resolve();
    synth.speak(utterance);
    // Some engines never fire `end` without a voice: do not wait forever.
    setTimeout(resolve, 2000 + text.length * 90);
  });
}

export function stopSpeaking(): void {
  if (typeof window !== 'undefined') window.speechSynthesis?.cancel();
}
