// Request schemas from their areas' schemas files, re-exported under the names the document uses:
// the document describes exactly what the route parses. test/api/openapi.test.ts still sends each
// field a bad value and expects the route to refuse it by that field's name.
export {
  runSchema as runReconciliationSchema,
  listSchema as exceptionsQuery,
  summaryParams as reconciliationParams,
} from '../reconcile/reconcile.schemas';
export { reportQuery } from '../reports/reports.schemas';
export { importQuery as traderImportQuery } from '../traders/traders.schemas';
