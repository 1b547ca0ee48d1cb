/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment AuthPayloadFields on AuthPayload {\n    user {\n      id\n    }\n    accessTokenExpiresAt\n    refreshTokenExpiresAt\n    accessToken\n    refreshToken\n  }\n": typeof types.AuthPayloadFieldsFragmentDoc,
    "\n  mutation AuthRefresh($refreshToken: String) {\n    refresh(refreshToken: $refreshToken) {\n      ...AuthPayloadFields\n    }\n  }\n  \n": typeof types.AuthRefreshDocument,
    "\n  query AuthSessionCheck {\n    me {\n      id\n    }\n  }\n": typeof types.AuthSessionCheckDocument,
    "\n  mutation AuthLogout($refreshToken: String) {\n    logout(refreshToken: $refreshToken)\n  }\n": typeof types.AuthLogoutDocument,
    "\n  mutation BeginTotpEnrollment {\n    beginTotpEnrollment {\n      secret\n      uri\n    }\n  }\n": typeof types.BeginTotpEnrollmentDocument,
    "\n  mutation ConfirmTotpEnrollment($code: String!) {\n    confirmTotpEnrollment(code: $code)\n  }\n": typeof types.ConfirmTotpEnrollmentDocument,
    "\n  mutation DisableTotp {\n    disableTotp\n  }\n": typeof types.DisableTotpDocument,
    "\n  mutation RegenerateRecoveryCodes {\n    regenerateRecoveryCodes\n  }\n": typeof types.RegenerateRecoveryCodesDocument,
    "\n  mutation PasskeyRegistrationOptions {\n    passkeyRegistrationOptions\n  }\n": typeof types.PasskeyRegistrationOptionsDocument,
    "\n  mutation RegisterPasskey($name: String!, $response: String!) {\n    registerPasskey(name: $name, response: $response) {\n      id\n      name\n    }\n  }\n": typeof types.RegisterPasskeyDocument,
    "\n  mutation RenamePasskey($id: ID!, $name: String!) {\n    renamePasskey(id: $id, name: $name) {\n      id\n      name\n    }\n  }\n": typeof types.RenamePasskeyDocument,
    "\n  mutation RemovePasskey($id: ID!) {\n    removePasskey(id: $id)\n  }\n": typeof types.RemovePasskeyDocument,
    "\n  mutation CompleteLogin($challenge: String!, $code: String, $passkeyResponse: String) {\n    completeLogin(challenge: $challenge, code: $code, passkeyResponse: $passkeyResponse) {\n      ...AuthPayloadFields\n    }\n  }\n": typeof types.CompleteLoginDocument,
    "\n  mutation VerifySecondFactor($code: String, $passkeyResponse: String) {\n    verifySecondFactor(code: $code, passkeyResponse: $passkeyResponse)\n  }\n": typeof types.VerifySecondFactorDocument,
    "\n  mutation SendVerificationEmail {\n    sendVerificationEmail\n  }\n": typeof types.SendVerificationEmailDocument,
    "\n  query PasswordAccount {\n    me {\n      id\n      email\n    }\n  }\n": typeof types.PasswordAccountDocument,
    "\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n  }\n": typeof types.ChangePasswordDocument,
    "\n  mutation ConfirmEmailChange($token: String!) {\n    confirmEmailChange(token: $token) {\n      id\n      email\n      emailVerified\n    }\n  }\n": typeof types.ConfirmEmailChangeDocument,
    "\n  mutation RequestPasswordReset($email: String!) {\n    requestPasswordReset(email: $email)\n  }\n": typeof types.RequestPasswordResetDocument,
    "\n  mutation LogIn($input: LoginInput!) {\n    login(input: $input) {\n      ...AuthPayloadFields\n    }\n  }\n": typeof types.LogInDocument,
    "\n  mutation PasskeyLoginOptions {\n    passkeyLoginOptions\n  }\n": typeof types.PasskeyLoginOptionsDocument,
    "\n  mutation LogInWithPasskey($response: String!) {\n    loginWithPasskey(response: $response) {\n      ...AuthPayloadFields\n    }\n  }\n": typeof types.LogInWithPasskeyDocument,
    "\n  query ProfilePage {\n    me {\n      id\n      email\n      emailVerified\n      name\n      avatarUrl\n      createdAt\n    }\n  }\n": typeof types.ProfilePageDocument,
    "\n  query SessionsSummary {\n    sessions {\n      id\n    }\n  }\n": typeof types.SessionsSummaryDocument,
    "\n  mutation UpdateProfile($name: String, $avatarUrl: String) {\n    updateProfile(name: $name, avatarUrl: $avatarUrl) {\n      id\n      name\n      avatarUrl\n    }\n  }\n": typeof types.UpdateProfileDocument,
    "\n  mutation ChangeEmail($newEmail: String!, $currentPassword: String!) {\n    changeEmail(newEmail: $newEmail, currentPassword: $currentPassword)\n  }\n": typeof types.ChangeEmailDocument,
    "\n  mutation DeleteAccount($currentPassword: String!) {\n    deleteAccount(currentPassword: $currentPassword)\n  }\n": typeof types.DeleteAccountDocument,
    "\n  mutation ResetPassword($token: String!, $newPassword: String!) {\n    resetPassword(token: $token, newPassword: $newPassword) {\n      ...AuthPayloadFields\n    }\n  }\n": typeof types.ResetPasswordDocument,
    "\n  query SecurityPage {\n    me {\n      id\n      email\n      secondFactors {\n        totpEnabled\n        recoveryCodesLeft\n      }\n    }\n    passkeys {\n      id\n      name\n      createdAt\n      lastUsedAt\n    }\n  }\n": typeof types.SecurityPageDocument,
    "\n  query SessionsPage {\n    sessions {\n      id\n      userAgent\n      ip\n      createdAt\n      lastUsedAt\n      expiresAt\n      current\n    }\n  }\n": typeof types.SessionsPageDocument,
    "\n  mutation RevokeSession($id: ID!) {\n    revokeSession(id: $id)\n  }\n": typeof types.RevokeSessionDocument,
    "\n  mutation LogOutOtherSessions {\n    logoutAll(exceptCurrent: true)\n  }\n": typeof types.LogOutOtherSessionsDocument,
    "\n  mutation SignUp($input: SignupInput!) {\n    signup(input: $input) {\n      ...AuthPayloadFields\n    }\n  }\n": typeof types.SignUpDocument,
    "\n  mutation VerifyEmail($token: String!) {\n    verifyEmail(token: $token) {\n      id\n      email\n      emailVerified\n    }\n  }\n": typeof types.VerifyEmailDocument,
    "\n  mutation PasskeySecondFactorOptions($challenge: String) {\n    passkeySecondFactorOptions(challenge: $challenge)\n  }\n": typeof types.PasskeySecondFactorOptionsDocument,
    "\n  query Viewer {\n    me {\n      id\n      email\n      emailVerified\n      name\n      avatarUrl\n    }\n  }\n": typeof types.ViewerDocument,
};
const documents: Documents = {
    "\n  fragment AuthPayloadFields on AuthPayload {\n    user {\n      id\n    }\n    accessTokenExpiresAt\n    refreshTokenExpiresAt\n    accessToken\n    refreshToken\n  }\n": types.AuthPayloadFieldsFragmentDoc,
    "\n  mutation AuthRefresh($refreshToken: String) {\n    refresh(refreshToken: $refreshToken) {\n      ...AuthPayloadFields\n    }\n  }\n  \n": types.AuthRefreshDocument,
    "\n  query AuthSessionCheck {\n    me {\n      id\n    }\n  }\n": types.AuthSessionCheckDocument,
    "\n  mutation AuthLogout($refreshToken: String) {\n    logout(refreshToken: $refreshToken)\n  }\n": types.AuthLogoutDocument,
    "\n  mutation BeginTotpEnrollment {\n    beginTotpEnrollment {\n      secret\n      uri\n    }\n  }\n": types.BeginTotpEnrollmentDocument,
    "\n  mutation ConfirmTotpEnrollment($code: String!) {\n    confirmTotpEnrollment(code: $code)\n  }\n": types.ConfirmTotpEnrollmentDocument,
    "\n  mutation DisableTotp {\n    disableTotp\n  }\n": types.DisableTotpDocument,
    "\n  mutation RegenerateRecoveryCodes {\n    regenerateRecoveryCodes\n  }\n": types.RegenerateRecoveryCodesDocument,
    "\n  mutation PasskeyRegistrationOptions {\n    passkeyRegistrationOptions\n  }\n": types.PasskeyRegistrationOptionsDocument,
    "\n  mutation RegisterPasskey($name: String!, $response: String!) {\n    registerPasskey(name: $name, response: $response) {\n      id\n      name\n    }\n  }\n": types.RegisterPasskeyDocument,
    "\n  mutation RenamePasskey($id: ID!, $name: String!) {\n    renamePasskey(id: $id, name: $name) {\n      id\n      name\n    }\n  }\n": types.RenamePasskeyDocument,
    "\n  mutation RemovePasskey($id: ID!) {\n    removePasskey(id: $id)\n  }\n": types.RemovePasskeyDocument,
    "\n  mutation CompleteLogin($challenge: String!, $code: String, $passkeyResponse: String) {\n    completeLogin(challenge: $challenge, code: $code, passkeyResponse: $passkeyResponse) {\n      ...AuthPayloadFields\n    }\n  }\n": types.CompleteLoginDocument,
    "\n  mutation VerifySecondFactor($code: String, $passkeyResponse: String) {\n    verifySecondFactor(code: $code, passkeyResponse: $passkeyResponse)\n  }\n": types.VerifySecondFactorDocument,
    "\n  mutation SendVerificationEmail {\n    sendVerificationEmail\n  }\n": types.SendVerificationEmailDocument,
    "\n  query PasswordAccount {\n    me {\n      id\n      email\n    }\n  }\n": types.PasswordAccountDocument,
    "\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n  }\n": types.ChangePasswordDocument,
    "\n  mutation ConfirmEmailChange($token: String!) {\n    confirmEmailChange(token: $token) {\n      id\n      email\n      emailVerified\n    }\n  }\n": types.ConfirmEmailChangeDocument,
    "\n  mutation RequestPasswordReset($email: String!) {\n    requestPasswordReset(email: $email)\n  }\n": types.RequestPasswordResetDocument,
    "\n  mutation LogIn($input: LoginInput!) {\n    login(input: $input) {\n      ...AuthPayloadFields\n    }\n  }\n": types.LogInDocument,
    "\n  mutation PasskeyLoginOptions {\n    passkeyLoginOptions\n  }\n": types.PasskeyLoginOptionsDocument,
    "\n  mutation LogInWithPasskey($response: String!) {\n    loginWithPasskey(response: $response) {\n      ...AuthPayloadFields\n    }\n  }\n": types.LogInWithPasskeyDocument,
    "\n  query ProfilePage {\n    me {\n      id\n      email\n      emailVerified\n      name\n      avatarUrl\n      createdAt\n    }\n  }\n": types.ProfilePageDocument,
    "\n  query SessionsSummary {\n    sessions {\n      id\n    }\n  }\n": types.SessionsSummaryDocument,
    "\n  mutation UpdateProfile($name: String, $avatarUrl: String) {\n    updateProfile(name: $name, avatarUrl: $avatarUrl) {\n      id\n      name\n      avatarUrl\n    }\n  }\n": types.UpdateProfileDocument,
    "\n  mutation ChangeEmail($newEmail: String!, $currentPassword: String!) {\n    changeEmail(newEmail: $newEmail, currentPassword: $currentPassword)\n  }\n": types.ChangeEmailDocument,
    "\n  mutation DeleteAccount($currentPassword: String!) {\n    deleteAccount(currentPassword: $currentPassword)\n  }\n": types.DeleteAccountDocument,
    "\n  mutation ResetPassword($token: String!, $newPassword: String!) {\n    resetPassword(token: $token, newPassword: $newPassword) {\n      ...AuthPayloadFields\n    }\n  }\n": types.ResetPasswordDocument,
    "\n  query SecurityPage {\n    me {\n      id\n      email\n      secondFactors {\n        totpEnabled\n        recoveryCodesLeft\n      }\n    }\n    passkeys {\n      id\n      name\n      createdAt\n      lastUsedAt\n    }\n  }\n": types.SecurityPageDocument,
    "\n  query SessionsPage {\n    sessions {\n      id\n      userAgent\n      ip\n      createdAt\n      lastUsedAt\n      expiresAt\n      current\n    }\n  }\n": types.SessionsPageDocument,
    "\n  mutation RevokeSession($id: ID!) {\n    revokeSession(id: $id)\n  }\n": types.RevokeSessionDocument,
    "\n  mutation LogOutOtherSessions {\n    logoutAll(exceptCurrent: true)\n  }\n": types.LogOutOtherSessionsDocument,
    "\n  mutation SignUp($input: SignupInput!) {\n    signup(input: $input) {\n      ...AuthPayloadFields\n    }\n  }\n": types.SignUpDocument,
    "\n  mutation VerifyEmail($token: String!) {\n    verifyEmail(token: $token) {\n      id\n      email\n      emailVerified\n    }\n  }\n": types.VerifyEmailDocument,
    "\n  mutation PasskeySecondFactorOptions($challenge: String) {\n    passkeySecondFactorOptions(challenge: $challenge)\n  }\n": types.PasskeySecondFactorOptionsDocument,
    "\n  query Viewer {\n    me {\n      id\n      email\n      emailVerified\n      name\n      avatarUrl\n    }\n  }\n": types.ViewerDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AuthPayloadFields on AuthPayload {\n    user {\n      id\n    }\n    accessTokenExpiresAt\n    refreshTokenExpiresAt\n    accessToken\n    refreshToken\n  }\n"): (typeof documents)["\n  fragment AuthPayloadFields on AuthPayload {\n    user {\n      id\n    }\n    accessTokenExpiresAt\n    refreshTokenExpiresAt\n    accessToken\n    refreshToken\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AuthRefresh($refreshToken: String) {\n    refresh(refreshToken: $refreshToken) {\n      ...AuthPayloadFields\n    }\n  }\n  \n"): (typeof documents)["\n  mutation AuthRefresh($refreshToken: String) {\n    refresh(refreshToken: $refreshToken) {\n      ...AuthPayloadFields\n    }\n  }\n  \n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuthSessionCheck {\n    me {\n      id\n    }\n  }\n"): (typeof documents)["\n  query AuthSessionCheck {\n    me {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AuthLogout($refreshToken: String) {\n    logout(refreshToken: $refreshToken)\n  }\n"): (typeof documents)["\n  mutation AuthLogout($refreshToken: String) {\n    logout(refreshToken: $refreshToken)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BeginTotpEnrollment {\n    beginTotpEnrollment {\n      secret\n      uri\n    }\n  }\n"): (typeof documents)["\n  mutation BeginTotpEnrollment {\n    beginTotpEnrollment {\n      secret\n      uri\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConfirmTotpEnrollment($code: String!) {\n    confirmTotpEnrollment(code: $code)\n  }\n"): (typeof documents)["\n  mutation ConfirmTotpEnrollment($code: String!) {\n    confirmTotpEnrollment(code: $code)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DisableTotp {\n    disableTotp\n  }\n"): (typeof documents)["\n  mutation DisableTotp {\n    disableTotp\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RegenerateRecoveryCodes {\n    regenerateRecoveryCodes\n  }\n"): (typeof documents)["\n  mutation RegenerateRecoveryCodes {\n    regenerateRecoveryCodes\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PasskeyRegistrationOptions {\n    passkeyRegistrationOptions\n  }\n"): (typeof documents)["\n  mutation PasskeyRegistrationOptions {\n    passkeyRegistrationOptions\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RegisterPasskey($name: String!, $response: String!) {\n    registerPasskey(name: $name, response: $response) {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  mutation RegisterPasskey($name: String!, $response: String!) {\n    registerPasskey(name: $name, response: $response) {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RenamePasskey($id: ID!, $name: String!) {\n    renamePasskey(id: $id, name: $name) {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  mutation RenamePasskey($id: ID!, $name: String!) {\n    renamePasskey(id: $id, name: $name) {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemovePasskey($id: ID!) {\n    removePasskey(id: $id)\n  }\n"): (typeof documents)["\n  mutation RemovePasskey($id: ID!) {\n    removePasskey(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CompleteLogin($challenge: String!, $code: String, $passkeyResponse: String) {\n    completeLogin(challenge: $challenge, code: $code, passkeyResponse: $passkeyResponse) {\n      ...AuthPayloadFields\n    }\n  }\n"): (typeof documents)["\n  mutation CompleteLogin($challenge: String!, $code: String, $passkeyResponse: String) {\n    completeLogin(challenge: $challenge, code: $code, passkeyResponse: $passkeyResponse) {\n      ...AuthPayloadFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation VerifySecondFactor($code: String, $passkeyResponse: String) {\n    verifySecondFactor(code: $code, passkeyResponse: $passkeyResponse)\n  }\n"): (typeof documents)["\n  mutation VerifySecondFactor($code: String, $passkeyResponse: String) {\n    verifySecondFactor(code: $code, passkeyResponse: $passkeyResponse)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SendVerificationEmail {\n    sendVerificationEmail\n  }\n"): (typeof documents)["\n  mutation SendVerificationEmail {\n    sendVerificationEmail\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PasswordAccount {\n    me {\n      id\n      email\n    }\n  }\n"): (typeof documents)["\n  query PasswordAccount {\n    me {\n      id\n      email\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n  }\n"): (typeof documents)["\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConfirmEmailChange($token: String!) {\n    confirmEmailChange(token: $token) {\n      id\n      email\n      emailVerified\n    }\n  }\n"): (typeof documents)["\n  mutation ConfirmEmailChange($token: String!) {\n    confirmEmailChange(token: $token) {\n      id\n      email\n      emailVerified\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RequestPasswordReset($email: String!) {\n    requestPasswordReset(email: $email)\n  }\n"): (typeof documents)["\n  mutation RequestPasswordReset($email: String!) {\n    requestPasswordReset(email: $email)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LogIn($input: LoginInput!) {\n    login(input: $input) {\n      ...AuthPayloadFields\n    }\n  }\n"): (typeof documents)["\n  mutation LogIn($input: LoginInput!) {\n    login(input: $input) {\n      ...AuthPayloadFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PasskeyLoginOptions {\n    passkeyLoginOptions\n  }\n"): (typeof documents)["\n  mutation PasskeyLoginOptions {\n    passkeyLoginOptions\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LogInWithPasskey($response: String!) {\n    loginWithPasskey(response: $response) {\n      ...AuthPayloadFields\n    }\n  }\n"): (typeof documents)["\n  mutation LogInWithPasskey($response: String!) {\n    loginWithPasskey(response: $response) {\n      ...AuthPayloadFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ProfilePage {\n    me {\n      id\n      email\n      emailVerified\n      name\n      avatarUrl\n      createdAt\n    }\n  }\n"): (typeof documents)["\n  query ProfilePage {\n    me {\n      id\n      email\n      emailVerified\n      name\n      avatarUrl\n      createdAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SessionsSummary {\n    sessions {\n      id\n    }\n  }\n"): (typeof documents)["\n  query SessionsSummary {\n    sessions {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateProfile($name: String, $avatarUrl: String) {\n    updateProfile(name: $name, avatarUrl: $avatarUrl) {\n      id\n      name\n      avatarUrl\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateProfile($name: String, $avatarUrl: String) {\n    updateProfile(name: $name, avatarUrl: $avatarUrl) {\n      id\n      name\n      avatarUrl\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChangeEmail($newEmail: String!, $currentPassword: String!) {\n    changeEmail(newEmail: $newEmail, currentPassword: $currentPassword)\n  }\n"): (typeof documents)["\n  mutation ChangeEmail($newEmail: String!, $currentPassword: String!) {\n    changeEmail(newEmail: $newEmail, currentPassword: $currentPassword)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteAccount($currentPassword: String!) {\n    deleteAccount(currentPassword: $currentPassword)\n  }\n"): (typeof documents)["\n  mutation DeleteAccount($currentPassword: String!) {\n    deleteAccount(currentPassword: $currentPassword)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResetPassword($token: String!, $newPassword: String!) {\n    resetPassword(token: $token, newPassword: $newPassword) {\n      ...AuthPayloadFields\n    }\n  }\n"): (typeof documents)["\n  mutation ResetPassword($token: String!, $newPassword: String!) {\n    resetPassword(token: $token, newPassword: $newPassword) {\n      ...AuthPayloadFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SecurityPage {\n    me {\n      id\n      email\n      secondFactors {\n        totpEnabled\n        recoveryCodesLeft\n      }\n    }\n    passkeys {\n      id\n      name\n      createdAt\n      lastUsedAt\n    }\n  }\n"): (typeof documents)["\n  query SecurityPage {\n    me {\n      id\n      email\n      secondFactors {\n        totpEnabled\n        recoveryCodesLeft\n      }\n    }\n    passkeys {\n      id\n      name\n      createdAt\n      lastUsedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SessionsPage {\n    sessions {\n      id\n      userAgent\n      ip\n      createdAt\n      lastUsedAt\n      expiresAt\n      current\n    }\n  }\n"): (typeof documents)["\n  query SessionsPage {\n    sessions {\n      id\n      userAgent\n      ip\n      createdAt\n      lastUsedAt\n      expiresAt\n      current\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeSession($id: ID!) {\n    revokeSession(id: $id)\n  }\n"): (typeof documents)["\n  mutation RevokeSession($id: ID!) {\n    revokeSession(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LogOutOtherSessions {\n    logoutAll(exceptCurrent: true)\n  }\n"): (typeof documents)["\n  mutation LogOutOtherSessions {\n    logoutAll(exceptCurrent: true)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignUp($input: SignupInput!) {\n    signup(input: $input) {\n      ...AuthPayloadFields\n    }\n  }\n"): (typeof documents)["\n  mutation SignUp($input: SignupInput!) {\n    signup(input: $input) {\n      ...AuthPayloadFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation VerifyEmail($token: String!) {\n    verifyEmail(token: $token) {\n      id\n      email\n      emailVerified\n    }\n  }\n"): (typeof documents)["\n  mutation VerifyEmail($token: String!) {\n    verifyEmail(token: $token) {\n      id\n      email\n      emailVerified\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PasskeySecondFactorOptions($challenge: String) {\n    passkeySecondFactorOptions(challenge: $challenge)\n  }\n"): (typeof documents)["\n  mutation PasskeySecondFactorOptions($challenge: String) {\n    passkeySecondFactorOptions(challenge: $challenge)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Viewer {\n    me {\n      id\n      email\n      emailVerified\n      name\n      avatarUrl\n    }\n  }\n"): (typeof documents)["\n  query Viewer {\n    me {\n      id\n      email\n      emailVerified\n      name\n      avatarUrl\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;