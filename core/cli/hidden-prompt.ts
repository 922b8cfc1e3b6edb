import readline from 'node:readline';
import { Writable } from 'node:stream';
import { CliError } from './cli-io';

/**
 * Asks a question on a terminal and reads one line without echoing it: the question goes
 * to `output`, readline's own output goes nowhere. Ctrl-C cancels.
 */
export function promptHidden(question: string, input: NodeJS.ReadableStream, output: { write(chunk: string): unknown }): Promise<string> {
  return new Promise((resolve, reject) => {
    // Everything readline writes (echo, cursor moves) is swallowed; only the question shows.
    const sink = new Writable({
      write(_chunk, _encoding, done) {
        done();
      },
    });
    const rl = readline.createInterface({ input, output: sink, terminal: true });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      rl.close();
      output.write('\n');
      fn();
    };
    rl.on('SIGINT', () => finish(() => reject(new CliError('Cancelled.', 130))));
    rl.on('close', () => finish(() => reject(new CliError('No answer: input ended.', 2))));
    output.write(question);
    rl.question('', (answer) => finish(() => resolve(answer)));
  });
}
