/** `pnpm start`: run the example, then keep serving until Ctrl-C (or stop after the tour with --tour-only). */
import { ConfigError, run } from './run';

try {
  const running = await run();
  if (running.tourOnly) {
    await running.close();
  } else {
    const stop = () => {
      running.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  }
} catch (err) {
  console.error(err instanceof ConfigError ? `Configuration: ${err.message}` : err);
  process.exitCode = 1;
}
