import type { Role } from './db/schema.js';

/** The signed-in person as every route and view sees them. */
export interface CurrentUser {
  id: number;
  name: string;
  email: string;
  role: Role;
  organisationId: number;
  organisationName: string;
}

export type Visitor = CurrentUser | null;

/** A rule decides whether a visitor may do an action, optionally on a given thing. */
export type Rule = (visitor: Visitor, thing?: unknown) => boolean;

const rank: Record<Role, number> = { member: 1, moderator: 2, admin: 3 };

export const rules = {
  anyone: (() => true) as Rule,
  signedIn: ((v) => v !== null) as Rule,
  atLeast: (role: Role): Rule => (v) => v !== null && rank[v.role] >= rank[role],
};

const registry = new Map<string, Rule>();

/** Each module declares its actions once, in its own policy file. */
export function definePolicy<A extends string>(table: Record<A, Rule>): Record<A, Rule> {
  for (const [action, rule] of Object.entries(table) as [A, Rule][]) {
    if (registry.has(action) && registry.get(action) !== rule) throw new Error(`policy action "${action}" defined twice`);
    registry.set(action, rule);
  }
  return table;
}

definePolicy({ public: rules.anyone });

/** The one question every route and view asks. Unknown actions are denied. */
export function can(visitor: Visitor, action: string, thing?: unknown): boolean {
  const rule = registry.get(action);
  return rule ? rule(visitor, thing) : false;
}

export function isKnownAction(action: string): boolean {
  return registry.has(action);
}
