/** Where the bench package lives on disk: its directory, results/ and src/ (every child process runs there). */
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The bench package directory (cwd of every child process). */
export const BENCH_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const RESULTS_DIR = path.join(BENCH_DIR, 'results');
export const SRC_DIR = path.join(BENCH_DIR, 'src');
