// The embedded s3rver in a process of its own (startTestS3's `ownProcess`): as under `npm start`,
// where it runs in the launcher, not in the media process whose work a benchmark measures.
import { startEmbeddedS3 } from '@rehearse/deploy/embedded-s3';

const dataDir = process.argv[2];
if (!dataDir || !process.send) throw new Error('usage: forked with the data directory as its argument');
const store = await startEmbeddedS3({ dataDir });
process.send({ endpoint: store.endpoint });
process.once('disconnect', () => void store.stop().finally(() => process.exit(0)));
