// The vendor's release keys this build trusts (Ed25519, raw, base64), newest first. A release
// is signed offline with one of them (docs/release-keys.md, the key ceremony). To rotate, a
// build lists the next key beside the current one; once every installed build lists it,
// releases are signed with the next key and the old one is dropped from later builds.
export const RELEASE_KEYS: readonly string[] = [
  // 2026-12 development key: its private half was not kept. The first key ceremony replaces it.
  'VIr8/+RwO21HszKudoOxstU63F8qgrOiqBRftCgDTrk=',
];
