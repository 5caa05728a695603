// OCA's prettier settings (addons template). The plugin is resolved through NODE_PATH,
// which pre-commit sets to the hook's own node_modules.
/** @type {import('prettier').Config} */
const config = {
    plugins: [require.resolve("@prettier/plugin-xml")],
    bracketSpacing: false,
    printWidth: 88,
    proseWrap: "always",
    semi: true,
    trailingComma: "es5",
    xmlWhitespaceSensitivity: "strict",
    // Odoo's XML is indented by 4 spaces (as in OCA's .editorconfig).
    overrides: [{files: "*.xml", options: {tabWidth: 4}}],
};
module.exports = config;
