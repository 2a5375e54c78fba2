/** Entry for fetch-handler runtimes (workerd, edge-runtime): POST the config, get the results as JSON. */
import { runSmoke, type SmokeConfig } from './smoke';

export default {
  async fetch(request: Request): Promise<Response> {
    return Response.json(await runSmoke((await request.json()) as SmokeConfig));
  },
};
