/**
 * Passive presentation-attack detection on a spoof set: see src/evaluation-spoof/spoof-cli.ts for the options.
 *
 *   npx tsx scripts/eval-spoof.ts --spoof ../shared/datasets/spoof --figure docs/figures/pad-eval.png
 */
import { runSpoofEvalCli } from '../src/evaluation-spoof/spoof-cli.js';

process.exitCode = await runSpoofEvalCli(process.argv.slice(2));
