// A worker thread of the remux pool (remuxPool.ts): one single-piece remux per task.
import { remuxSinglePiece } from './mediaFiles.ts';

export default remuxSinglePiece;
