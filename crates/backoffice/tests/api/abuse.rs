//! The anonymous attacks of issue 16, each through HTTP against the real
//! server: sign-in floods and guessing, one tenant's flood, slow and idle
//! connections, what 401s and headers say, and tokens a password change ends.

mod connections;
mod headers;
mod passwords;
mod signin;
mod tenants;
