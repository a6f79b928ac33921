/**
 * The bot token scopes the app needs: the list in manifest.yml (`oauth_config.scopes.bot`).
 * test/doctor/required-scopes.test.ts keeps the two equal, so the doctor checks what the manifest asks for.
 */
export const BOT_SCOPES: readonly string[] = ['commands', 'chat:write', 'files:write', 'usergroups:read'];

/**
 * Scopes manifest.yml also asks for but the app works without: the doctor reports them as a note,
 * never a failure. users:read lets personal replies follow each person's Slack language
 * (`users.info` with `include_locale`); without it they are in APP_LANGUAGE.
 */
export const OPTIONAL_BOT_SCOPES: readonly string[] = ['users:read'];

/** What each scope is for, so that "missing files:write" tells the operator what will break. */
export const SCOPE_PURPOSE: Readonly<Record<string, string>> = {
  commands: 'the /timesheet-export command',
  'chat:write': 'posting and updating the run messages',
  'files:write': 'uploading the export files',
  'usergroups:read': 'user groups (S…) in ALLOWED_USERS',
  'users:read': "replies, help, the form and App Home in each person's Slack language",
};
