/**
 * Validates the environment and exits: `npm start` runs this before building the web app, so a bad
 * variable is reported at once instead of after the build.
 */
import { ConfigError, loadConfig } from './config.ts';

try {
  loadConfig();
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : `The configuration could not be read: ${String(error)}`);
  process.exit(1);
}
