/**
 * The bot token scopes the app needs: the list in manifest.yml (`oauth_config.scopes.bot`).
 * test/doctor/required-scopes.test.ts keeps the two equal, so the doctor checks what the manifest asks for.
 */
export const BOT_SCOPES: readonly string[] = ['commands', 'chat:write', 'files:write', 'usergroups:read'];

/** What each scope is for, so that "missing files:write" tells the operator what will break. */
export const SCOPE_PURPOSE: Readonly<Record<string, string>> = {
  commands: 'the /timesheet-export command',
  'chat:write': 'posting and updating the run messages',
  'files:write': 'uploading the export files',
  'usergroups:read': 'user groups (S…) in ALLOWED_USERS',
};
