import { parentPort, workerData } from 'node:worker_threads';
import { EndpointClient, systemResolver } from './endpoint-client';
import type { PostJobs, PostReplies, PostWorkerData } from './post-pool';

/**
 * A delivery worker thread (started by PostPool): signs and sends the attempts it is handed with its own
 * EndpointClient — same SSRF guard (resolve once, check every address, connect to the checked one), same
 * keep-alive Agent settings — and hands results back in batches, one message per turn of its event loop. It has
 * at most its share of the in-flight limit open and starts the next request it holds as soon as one is answered,
 * without waiting for the main loop to hand over more.
 */
const port = parentPort;
if (!port) throw new Error('post-worker runs as a worker thread of PostPool');
const data = workerData as PostWorkerData;
const client = new EndpointClient(data.allow, systemResolver, data.connections, data.inFlight);

let out: PostReplies['results'] = [];
let scheduled = false;
const flush = (): void => {
  scheduled = false;
  const replies: PostReplies = { results: out };
  out = [];
  port.postMessage(replies);
};
const reply = (r: PostReplies['results'][number]): void => {
  out.push(r);
  if (!scheduled) {
    scheduled = true;
    setImmediate(flush);
  }
};

port.on('message', (m: PostJobs) => {
  for (const [n, req] of m.jobs) {
    client.post(req).then(
      (result) => reply([n, result]),
      (err: unknown) => reply([n, null, err instanceof Error ? err.message : String(err)]),
    );
  }
});
