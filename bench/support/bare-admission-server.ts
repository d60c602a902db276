// The ceiling for bench/admission.ts: Express that only parses JSON and answers {allowed:true}.
import express from 'express';

const app = express();
app.post('/api/ome/admission', express.json(), (_req, res) => void res.json({ allowed: true }));
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const addr = server.address();
  process.stdout.write(`LISTENING ${typeof addr === 'object' && addr ? addr.port : ''}\n`);
});
server.keepAliveTimeout = 65_000;
