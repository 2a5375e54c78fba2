/**
 * What Auth0 answers for a settings object nobody has set yet, by operation path: a default object, or
 * `null` where Auth0 answers 404 until one is configured. Settings paths absent here answer `{}`.
 */
import type { JsonObject } from '../state';

const FACTORS = ['sms', 'push-notification', 'otp', 'email', 'duo', 'webauthn-roaming', 'webauthn-platform', 'recovery-code'];

export const STORE_DEFAULTS: Readonly<Record<string, JsonObject | JsonObject[] | null>> = {
  '/tenants/settings': {
    enabled_locales: ['en'],
    flags: { enable_client_connections: true, revoke_refresh_token_grant: false, disable_clickjack_protection_headers: false },
    session_lifetime: 168,
    session_lifetime_in_minutes: 10080,
    idle_session_lifetime: 72,
    idle_session_lifetime_in_minutes: 4320,
    sandbox_version: '22',
    sandbox_versions_available: ['22', '18'],
    universal_login: {},
  },
  '/attack-protection/brute-force-protection': {
    enabled: true,
    shields: ['block', 'user_notification'],
    mode: 'count_per_identifier_and_ip',
    allowlist: [],
    max_attempts: 10,
  },
  '/attack-protection/suspicious-ip-throttling': {
    enabled: true,
    shields: ['admin_notification', 'block'],
    allowlist: [],
    stage: { 'pre-login': { max_attempts: 100, rate: 864000 }, 'pre-user-registration': { max_attempts: 50, rate: 1200 } },
  },
  '/attack-protection/breached-password-detection': {
    enabled: false,
    shields: [],
    admin_notification_frequency: [],
    method: 'standard',
    stage: { 'pre-user-registration': { shields: [] }, 'pre-change-password': { shields: [] } },
  },
  '/attack-protection/bot-detection': { bot_detection_level: 'medium', challenge_password_policy: 'never', challenge_passwordless_policy: 'never', challenge_password_reset_policy: 'never', allowlist: [], monitoring_mode_enabled: false },
  '/attack-protection/captcha': { active_provider_id: 'auth_challenge' },
  '/prompts': { universal_login_experience: 'new', identifier_first: false, webauthn_platform_first_factor: false },
  '/guardian/factors': FACTORS.map((name) => ({ name, enabled: false, trial_expired: false })),
  '/guardian/policies': [],
  '/guardian/factors/phone/message-types': { message_types: ['sms'] },
  '/guardian/factors/phone/selected-provider': { provider: 'auth0' },
  '/guardian/factors/sms/selected-provider': { provider: 'auth0' },
  '/guardian/factors/push-notification/selected-provider': { provider: 'guardian' },
  '/guardian/factors/sms/templates': {
    enrollment_message: '{{code}} is your verification code for {{tenant.friendly_name}}. Please enter this code to verify your enrollment.',
    verification_message: '{{code}} is your verification code for {{tenant.friendly_name}}',
  },
  '/guardian/factors/phone/templates': {
    enrollment_message: '{{code}} is your verification code for {{tenant.friendly_name}}. Please enter this code to verify your enrollment.',
    verification_message: '{{code}} is your verification code for {{tenant.friendly_name}}',
  },
  '/actions/triggers': { triggers: [] },
  '/risk-assessments/settings': { enabled: false },
  '/risk-assessments/settings/new-device': { remember_for: 0 },
  '/supplemental-signals': { akamai_enabled: false },
  '/branding/phone/providers': { providers: [] },
  '/branding/phone/templates': { templates: [] },
  '/prompts/{prompt}/custom-text/{language}': {},
  '/prompts/{prompt}/partials': {},
  '/emails/provider': null,
  '/branding/templates/universal-login': null,
  '/branding/themes/default': null,
  '/custom-domains/default': null,
};

/**
 * The default for an unset object at `opPath`: a fresh copy, `null` for "404 until set", `undefined` when
 * the path is not listed (the caller decides: `{}` for a settings object, 404 for an item).
 */
export function storeDefault(opPath: string): JsonObject | JsonObject[] | null | undefined {
  const value = STORE_DEFAULTS[opPath];
  return value === null || value === undefined ? value : (structuredClone(value) as JsonObject | JsonObject[]);
}
