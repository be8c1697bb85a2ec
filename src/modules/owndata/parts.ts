import type { PersonalDataPart } from '../../platform/personal-data.js';
import { aiActPart } from '../aiact/personal-data.js';
import { cataloguePart } from '../catalogue/personal-data.js';
import { meetingsPart } from '../meetings/personal-data.js';
import { accountPart } from '../members/personal-data.js';
import { notificationsPart } from '../notifications/personal-data.js';
import { procurementPart } from '../procurement/personal-data.js';
import { questionsPart } from '../questions/personal-data.js';
import { signOnPart } from '../sso/personal-data.js';

/**
 * Every module's part of the personal data, in the order of the export. A module that stores something new
 * about people extends its part; a new module adds its part here. The account comes first in the export and
 * is erased last, as the other parts still find the person by name and address.
 */
export const personalDataParts: PersonalDataPart[] = [
  accountPart, signOnPart, cataloguePart, questionsPart, meetingsPart, procurementPart, aiActPart, notificationsPart,
];
