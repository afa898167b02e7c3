process.env.E2E_DB = 'postgres';
