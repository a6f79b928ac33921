/** The `error` string of a Slack Web API failure (`not_in_channel`, `ratelimited`…), if there is one. */
export function slackErrorCode(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | undefined)?.data;
  if (data && typeof data.error === 'string') return data.error;
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === 'slack_webapi_rate_limited_error') return 'ratelimited';
  return undefined;
}

/**
 * The HTTP status of an answer that was not Slack's usual 200 (a proxy's 401 or 407, a 5xx, a
 * SLACK_API_URL that is not Slack's API): Slack was reached, but something refused the call.
 */
export function slackHttpStatus(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}
