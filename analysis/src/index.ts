export { checkPocketSphinx, type EngineCheck } from './stt/providers/pocketsphinx/index.ts';
