/**
 * Let the worker's event loop turn after every test.
 *
 * Vitest's forked worker reports progress to the main process over RPC. Each call has a 60 s deadline, kept by a
 * timer. Many of our tests are synchronous: they run helm, the CLI or the SARIF multitool with spawnSync. A file
 * made only of such tests never gives the loop a turn, so the main process's answer sits unread in the pipe. When
 * the file runs past 60 s on a slow CI host, the timer fires first, and vitest fails the run with
 * `[vitest-worker]: Timeout calling "onTaskUpdate"` although every test passed. A turn of the loop after each test
 * (a timer, then an immediate, so that the poll phase that reads the pipe runs in between) reads those answers.
 */
import { afterEach } from 'vitest';

afterEach(async () => {
  await new Promise((resolve) => setTimeout(resolve, 0));
  await new Promise((resolve) => setImmediate(resolve));
});
