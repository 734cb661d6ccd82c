// Why a request failed, a chunk the card and the voting chunk import only when
// the API answers a request with an error. The API lets any page read why its
// origin is refused (a non-secret body): then this tells the owner how to fix
// it (once per site and page view), and drops the site's queued votes, which
// can never be sent from here.
import { store, warn } from "./dom.js";

const refused = {}; // site -> told already

// Response r to a request of site's was not ok: diagnose it, then throw its status.
export default async (site, r) => {
  if (r.status == 403 && (await r.json()).code == "origin_not_allowed") {
    store("ascolto:pending:" + site, "");
    refused[site] ||= warn(
      `origin ${location.origin} is not allowed for site "${site}": add it with ` +
        `--origin ${location.origin} to the site on your ascolto server`,
    ) || 1;
  }
  throw r.status;
};
