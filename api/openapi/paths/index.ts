// Every operation the API serves, by area.
import type { Operation } from '../operation';
import { backOfficePaths } from './back-office.paths';
import { collectionPaths } from './collection.paths';
import { feedPaths } from './feed.paths';
import { masterDataPaths } from './master-data.paths';
import { publicPaths } from './public.paths';

export const OPERATIONS: Operation[] = [
  ...publicPaths,
  ...collectionPaths,
  ...masterDataPaths,
  ...backOfficePaths,
  ...feedPaths,
];
