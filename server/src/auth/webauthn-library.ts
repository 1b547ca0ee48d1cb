/**
 * `@simplewebauthn/server`, loaded at the first passkey ceremony rather than at start-up: it and the
 * parsers it brings cost some 25 MB resident, which an instance that never sees a passkey should
 * not pay. Its types are imported statically where they are needed.
 */
let library: Promise<typeof import('@simplewebauthn/server')> | undefined;

export const webAuthnLibrary = () => (library ??= import('@simplewebauthn/server'));
