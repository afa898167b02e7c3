import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { AppConfig } from './src/config/app-config.service';
import { loadEnvironment } from './src/config/environment';
import { buildDataSourceOptions } from './src/database/data-source.options';

// The TypeORM CLI's data source (`npm run migration:run`, `npm run migration:generate`).
// It reads the same settings as the service: DATABASE_URL from the environment or `.env`.
export default new DataSource(buildDataSourceOptions(new AppConfig(loadEnvironment()).database));
