// Worker entry for when the worker module cannot be bundled (see worker-bundle.ts): worker
// threads do not inherit tsx's loader, so it is registered here first.
import { register } from 'tsx/esm/api';

register();
await import('./parse-worker.ts');
