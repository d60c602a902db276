// The backend (backend/src/main.ts) under the V8 CPU profiler, for benches run with BENCH_PROFILE=<dir>:
// the profile is written to <dir>/backend-<pid>.cpuprofile when the process exits (open it in Chrome
// DevTools or speedscope). NODE_OPTIONS cannot carry --cpu-prof, hence this wrapper.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import path from 'node:path';

const dir = process.env.BENCH_PROFILE ?? '.';
const session = new Session();
session.connect();
session.post('Profiler.enable');
session.post('Profiler.setSamplingInterval', { interval: 200 });
session.post('Profiler.start');
process.on('exit', () => {
  // An in-process session answers synchronously, so this completes before the process is gone.
  session.post('Profiler.stop', (err, res) => {
    if (!err) writeFileSync(path.join(dir, `backend-${process.pid}.cpuprofile`), JSON.stringify(res.profile));
  });
});
await import('../../backend/src/main.js');
