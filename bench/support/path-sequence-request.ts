/**
 * autocannon `setupRequest` module, loaded by path inside autocannon's worker thread: every
 * request takes the next path of a pre-generated sequence (Zipf or uniform tenant access).
 * The counter is shared by all connections of the worker, so the sequence is followed in order.
 */
interface SequenceRequest {
  path: string;
  paths?: string[];
}

let next = 0;

function setupRequest<T extends SequenceRequest>(request: T): T {
  const paths = request.paths;
  if (paths && paths.length > 0) request.path = paths[next++ % paths.length];
  return request;
}

export = setupRequest;
