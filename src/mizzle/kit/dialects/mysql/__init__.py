"""The migration kit for MySQL and MariaDB (drizzle-kit's `dialect: "mysql"`, snapshot version "5")."""
