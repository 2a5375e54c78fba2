/**
 * @scopebound/token/diagnostics: Scopebound's `node:diagnostics_channel` channels (names, context types) and the
 * runtime-neutral way the packages publish on them (real channels on Node, silent ones elsewhere).
 */
export { CHANNELS, channel, mintChannel, tokenEventChannel, tracingChannel, type TokenMintContext } from './channels';
export type { ChannelLike, TracingChannelLike } from './types';
