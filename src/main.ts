import 'reflect-metadata';
import { serve } from './cli/serve.command';
import { readConfig } from './config';

/** `npm start`: read configuration, then migrate, seed if empty, and serve. */
serve(readConfig(process.env)).catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
