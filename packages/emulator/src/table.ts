/** The operation table and scope rules, shared with @scopebound/management so both enforce the same rules. */
export {
  operations,
  alternativesFor,
  isAuthorized,
  isSpecialScope,
  type OperationDef,
  type BodyRule,
} from '@scopebound/management/operations';
export { SCOPES, SPECIAL_SCOPES } from '@scopebound/token';
