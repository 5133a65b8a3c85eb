// Pairing without a code: when IT's policy holds a pairing secret and there is no token yet,
// exchange the secret for the token (the daemon holds the secret's SHA-256).

/**
 * config: from loadConfig(); call(path, options): the daemon call; save(token): keeps it.
 * Returns the config with the token when pairing worked, else the config unchanged.
 */
export async function withProvisionedToken(config, call, save, version) {
  if (config.token || !config.pairingSecret) return config;
  try {
    const { data } = await call(config.port, "/v1/pair", {
      method: "POST",
      body: { provisioning_secret: config.pairingSecret, client: `extension ${version} (provisioned)` },
    });
    await save(data.token);
    return { ...config, token: data.token };
  } catch {
    return config; // daemon down, or the secret is not (yet) provisioned there: unpaired for now
  }
}
