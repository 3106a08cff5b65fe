import type { Api } from './api';
import { isStatus } from './api';

export interface ReleaseInput {
  tag: string;
  name?: string;
  body?: string;
  /** Commit or branch for the tag when it does not exist yet. */
  targetCommitish?: string;
  prerelease?: boolean;
  draft?: boolean;
}

export interface EnsuredRelease {
  id: number;
  url: string;
  action: 'created' | 'exists';
}

async function findRelease(api: Api, tag: string): Promise<EnsuredRelease | undefined> {
  try {
    const { data } = await api.call(`reading the release of ${tag} in ${api.fullName}`, () =>
      api.octokit.rest.repos.getReleaseByTag({ owner: api.owner, repo: api.repo, tag }),
    );
    return { id: data.id, url: data.html_url, action: 'exists' };
  } catch (e) {
    if (isStatus(e, 404)) return undefined;
    throw e;
  }
}

/** Creates the GitHub release of `tag`, or reports the one already there. */
export async function createRelease(api: Api, input: ReleaseInput): Promise<EnsuredRelease> {
  const existing = await findRelease(api, input.tag);
  if (existing) return existing;
  try {
    const { data } = await api.call(`creating the release of ${input.tag} in ${api.fullName}`, () =>
      api.octokit.rest.repos.createRelease({
        owner: api.owner,
        repo: api.repo,
        tag_name: input.tag,
        name: input.name ?? input.tag,
        body: input.body,
        target_commitish: input.targetCommitish,
        prerelease: input.prerelease,
        draft: input.draft,
      }),
    );
    return { id: data.id, url: data.html_url, action: 'created' };
  } catch (e) {
    if (isStatus(e, 422, 'already_exists')) {
      const raced = await findRelease(api, input.tag);
      if (raced) return raced;
    }
    throw e;
  }
}
