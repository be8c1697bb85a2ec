/** What a deletion removes and what stays, in the order the deletion page lists them (ownData.removedItems / keptItems). */
export const REMOVED = ['profile', 'sessions', 'tokens', 'notifications', 'request', 'registrations', 'mentions'] as const;
export const KEPT = ['contributions', 'organisation', 'counts', 'log'] as const;
