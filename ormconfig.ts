import 'reflect-metadata';
import { readConfig } from './src/config';
import { createDataSource } from './src/data-source';

/** The TypeORM CLI and the app share this one DataSource definition. */
export default createDataSource(readConfig(process.env));
