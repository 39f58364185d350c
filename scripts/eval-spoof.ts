/**
 * Passive presentation-attack detection on a spoof set, with other genuine photos fitted and held out: see
 * src/evaluation-spoof/spoof-cli.ts for the options and docs/LIVENESS.md section 2 for the results.
 *
 *   npx tsx scripts/eval-spoof.ts --spoof ../shared/datasets/spoof --bona-fide ../shared/datasets/lfw-dev --bona-fide-limit 500 \
 *     --holdout-bona-fide ../shared/datasets/identities --figure docs/figures/pad-eval.png [--write-calibration]
 */
import { runSpoofEvalCli } from '../src/evaluation-spoof/spoof-cli.js';

process.exitCode = await runSpoofEvalCli(process.argv.slice(2));
