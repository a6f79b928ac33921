/*
 * The detail's field list is Lucca's guide's, to the letter ("Retrieve the export content",
 * lucca-timesheet-export-guide.md): Lucca's API framework answers 400 "Selected property … does not
 * exist" for any name it does not know (RestDrivenDomain, ExpressionParser.cs), so no sub-field of
 * `exportFiles` is asked for (none is documented). It is sent in two requests: the header and files
 * first, the entries (possibly hundreds of thousands, past Lucca's ~5 s cut) only when needed.
 */
export const EXPORT_HEADER_FIELDS = 'id,name,createdAt,configurationId,startsAt,endsAt,exportFiles';
export const EXPORT_ENTRIES_FIELDS =
  'entries[id,name,amount,amountUnit,externalCode,endsAt,owner[id,lastName,firstName],' +
  'timeType[id,name,payTreatment],axisSections[id,name,code,axisId,active,startOn,endOn]]';
/** The guide's list as one string: what the two requests ask for together. */
export const GUIDE_EXPORT_FIELDS = `${EXPORT_HEADER_FIELDS},${EXPORT_ENTRIES_FIELDS}`;
