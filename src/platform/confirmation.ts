/**
 * Steps that cannot be undone (publishing an agenda, binding a procurement, deleting) are taken only with
 * the person's confirmation: a service checks everything else first and then, without it, throws
 * ConfirmationRequired with what exactly will happen. The route shows that as a confirmation page whose
 * button sends the same form again with confirm=yes. Nothing is changed before.
 */
export interface Message {
  key: string;
  vars?: Record<string, unknown>;
}

export class ConfirmationRequired extends Error {
  constructor(readonly question: Message, readonly consequences: Message[], readonly button: Message) {
    super('CONFIRMATION_REQUIRED');
    this.name = 'ConfirmationRequired';
  }
}

/** The value of the field that confirms a step. */
export const CONFIRM_VALUE = 'yes';

export function isConfirmed(values: Record<string, string>): boolean {
  return values.confirm === CONFIRM_VALUE;
}
