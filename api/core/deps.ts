import type { Knex } from 'knex';
import type { Config } from './config';
import type { Clock } from './clock';
import type { Logger } from './logger';

/** What services and jobs are given; tests pass their own clock and database. */
export interface Deps {
  knex: Knex;
  config: Config;
  clock: Clock;
  logger: Logger;
}
