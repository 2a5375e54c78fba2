// @scopebound/management/operations: the generated operation table, its scope rules and their types, without
// the client (no transport, no retries). The emulator, the CLI and tooling import this.
export { operations, SPEC } from './generated/operations';
export type {
  OperationDef,
  OperationName,
  OperationIndex,
  HttpMethod,
  ScopeRule,
  PaginationKind,
  BodyRule,
} from './generated/operations';
export { alternativesFor, isAuthorized, eligibleAlternatives, isSpecialScope } from './scope-resolution';
export type { Alternatives, PickOptions } from './scope-resolution';
export { breadthOf, narrowestFirst } from './scope-breadth';
export type { paths, components, operations as OperationTypes } from './generated/schema';
// Named types for every operation (`UsersListParams`, `UsersUpdateBody`, `UsersGetResult`, `UsersListPage`,
// `UsersListItem`), short aliases (`User`, `Role`, …), the namespace interfaces (`UsersApi`) and `OperationShapes`.
export type * from './generated/api';
