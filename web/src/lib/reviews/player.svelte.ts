// The reviewed recording as both parties watch it: where it is, and seeking to a moment (a
// transcript word, a comment) or pausing on one to comment.
export class ReviewPlayer {
  /** The <video> (bound by the page). */
  video = $state<HTMLVideoElement | null>(null);
  /** Where the recording is, in ms; follows playing, seeking and pausing. */
  ms = $state(0);

  /** Reads the video's position (its timeupdate, seeked and pause events call this). */
  sync(): void {
    if (this.video) this.ms = Math.round(this.video.currentTime * 1000);
  }

  /** Plays from `ms`. */
  seek(ms: number): void {
    if (!this.video) return;
    this.video.currentTime = ms / 1000;
    this.ms = ms;
    void this.video.play().catch(() => {});
  }

  /** Stops at the current moment and reads exactly where that is. */
  pause(): void {
    this.video?.pause();
    this.sync();
  }
}
