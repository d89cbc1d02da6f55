/** What a GraphQL HTTP response carried: the HTTP status and the parsed body. */
export interface GraphQLResponse<Data = Record<string, any>> {
  readonly status: number;
  readonly data?: Data | null;
  readonly errors?: { message: string; extensions?: Record<string, unknown>; path?: string[] }[];
}

/** Request options: `apiKey` is sent as `Authorization: Bearer <apiKey>`; `authorization` as the raw header. */
export interface GraphQLRequestOptions {
  readonly apiKey?: string;
  readonly authorization?: string;
}

/** POSTs a GraphQL operation to `url` over real HTTP. */
export async function postGraphQL<Data = Record<string, any>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  options: GraphQLRequestOptions = {},
): Promise<GraphQLResponse<Data>> {
  const authorization = options.authorization ?? (options.apiKey === undefined ? undefined : `Bearer ${options.apiKey}`);
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json",
      ...(authorization === undefined ? {} : { authorization }),
    },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, ...((await response.json()) as object) };
}

