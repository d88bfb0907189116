//! What a production PostgreSQL demands, on the disposable cluster: TLS with a certificate made
//! when it starts (by a CA of its own, for the host name `localhost` only), and a password from
//! the members of one role. Everyone else stays trusted and may connect in plain text, so the
//! rest of the suite connects as before.

use std::fs;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair, KeyUsagePurpose,
};

/// Members of this role log in with a password over TCP (scram-sha-256); the tests of the
/// password options create their role in it.
pub const PASSWORD_GROUP: &str = "canopy_password_login";
/// The only name in the server's certificate: connecting to `127.0.0.1` with `verify-full` fails.
pub const CERTIFICATE_HOST: &str = "localhost";

/// Writes the CA's certificate to `ca_file`, and the server's certificate and key to `data` as
/// `server.crt` and `server.key` (PostgreSQL's default names; the key readable by its owner only).
/// Returns the files PostgreSQL reads, for the caller to hand to the server's OS user.
pub fn write_certificates(ca_file: &Path, data: &Path) -> Result<Vec<PathBuf>> {
    let ca_key = KeyPair::generate()?;
    let mut ca = CertificateParams::new(Vec::<String>::new())?;
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name.push(DnType::CommonName, "Canopy test cluster CA");
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
    let ca_certificate = ca.self_signed(&ca_key)?;
    let issuer = Issuer::new(ca, ca_key);

    let server_key = KeyPair::generate()?;
    let mut server = CertificateParams::new(vec![CERTIFICATE_HOST.to_owned()])?;
    server.distinguished_name.push(DnType::CommonName, CERTIFICATE_HOST);
    server.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let server_certificate = server.signed_by(&server_key, &issuer)?;

    write(ca_file, ca_certificate.pem().as_bytes(), 0o644)?;
    let (certificate, key) = (data.join("server.crt"), data.join("server.key"));
    write(&certificate, server_certificate.pem().as_bytes(), 0o644)?;
    write(&key, server_key.serialize_pem().as_bytes(), 0o600)?;
    Ok(vec![certificate, key])
}

/// Replaces initdb's `pg_hba.conf` (all trusted) with the same plus the password group.
pub fn write_hba(data: &Path) -> Result<()> {
    let text = format!(
        "# Written by cargo xtask (xtask/src/postgres/security.rs); the first matching line wins.\n\
         # Members of {PASSWORD_GROUP} must send a password; everyone else is trusted: the cluster\n\
         # listens on loopback only and lives for one run.\n\
         local all +{PASSWORD_GROUP} scram-sha-256\n\
         host all +{PASSWORD_GROUP} 127.0.0.1/32 scram-sha-256\n\
         host all +{PASSWORD_GROUP} ::1/128 scram-sha-256\n\
         local all all trust\n\
         host all all 127.0.0.1/32 trust\n\
         host all all ::1/128 trust\n\
         local replication all trust\n\
         host replication all 127.0.0.1/32 trust\n\
         host replication all ::1/128 trust\n"
    );
    // initdb made the file; writing keeps its owner (the server's OS user) and mode.
    fs::write(data.join("pg_hba.conf"), text).context("could not write pg_hba.conf")
}

fn write(path: &Path, bytes: &[u8], mode: u32) -> Result<()> {
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(path)
        .with_context(|| format!("could not create {}", path.display()))?;
    file.write_all(bytes).with_context(|| format!("could not write {}", path.display()))
}
