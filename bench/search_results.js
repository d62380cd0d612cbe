// Given to Playwright's page.evaluate: the results of each query from the sharded index (/pagefind/, its
// language's shards merged as the search page merges them) and from one index of the same pages (`single`,
// a bundle folder), as [page id, score] lists best first, and the filters each offers. Pagefind's page ids
// are digests of the pages' indexed fragments, so both indexes give the same id to the same page.
async ({ lang, queries, single, filters }) => {
  const sharded = await import("/pagefind/pagefind.js");
  const whole = await import(single + "pagefind.js");
  await sharded.options({ baseUrl: "/" });
  await whole.options({ baseUrl: "/" });
  const manifest = await (await fetch("/pagefind/shards.json")).json();
  const shards = (manifest.shards && manifest.shards[lang]) || [];
  await Promise.all(shards.map((shard) => sharded.mergeIndex("/pagefind/" + shard, { baseUrl: "/" })));
  const ranked = (response) => response.results.map((r) => [r.id, r.score]);
  const out = { shards: shards.length, filters: [await sharded.filters(), await whole.filters()], queries: {} };
  for (const query of queries) {
    const options = filters && filters[query] ? { filters: filters[query] } : {};
    out.queries[query] = [ranked(await sharded.search(query, options)), ranked(await whole.search(query, options))];
  }
  return out;
}
