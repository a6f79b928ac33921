/**
 * The Slack workspace (team) a request comes from: `team_id` on commands and Events API envelopes,
 * `team.id` on interactions (clicks, modal submissions), the user's or the view's team otherwise.
 */
export function teamOf(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const b = body as {
    team_id?: unknown;
    team?: { id?: unknown } | null;
    user?: { team_id?: unknown } | null;
    view?: { team_id?: unknown } | null;
  };
  for (const id of [b.team_id, b.team?.id, b.user?.team_id, b.view?.team_id]) {
    if (typeof id === 'string' && id) return id;
  }
  return undefined;
}

/**
 * Whether a signed request may act: only requests from the workspace the bot token belongs to. The
 * signing secret is per app, not per workspace: the same app installed elsewhere (or a copy of its
 * secret) signs requests Slack-valid from another team, which must neither run nor cancel exports here.
 */
export function fromOurWorkspace(body: unknown, ourTeamId: string): boolean {
  if (!ourTeamId) return true; // auth.test named no team: nothing to compare with
  return teamOf(body) === ourTeamId;
}
