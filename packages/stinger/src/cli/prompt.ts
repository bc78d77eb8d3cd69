import { createInterface } from "node:readline";

/** Ask for a password on the terminal without echoing it; rejects when stdin is not a terminal. */
export function promptPassword(question: string): Promise<string> {
  if (!process.stdin.isTTY) return Promise.reject(new Error("stdin is not a terminal"));
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    const write = (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput;
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
      if (s.includes(question)) write.call(rl, s);
    };
    rl.question(question, (answer) => {
      rl.close();
      process.stderr.write("\n");
      resolve(answer);
    });
  });
}
