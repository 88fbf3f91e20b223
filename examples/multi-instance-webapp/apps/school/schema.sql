-- Loaded into an instance's database of school before it starts, only while that database
-- has no tables (modules/services/school.nix, initDocument). This file is yours: replace
-- the placeholder with your schema (and seed data). It runs as the instance's own role, which
-- owns the database, in one transaction.
CREATE TABLE IF NOT EXISTS placeholder (
  id serial PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now()
);
