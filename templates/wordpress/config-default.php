{{% CONTENT_TYPE: TEXT}}
<?php
/* ftservices: WordPress configuration, loaded by Debian's /usr/share/wordpress/wp-config.php.
 * No secret is stored here: the database password is read at request time from
 * /run/ftservices/wordpress_db_password (copied from the Swarm secret by the entrypoint,
 * readable by www-data only). The keys and salts are derived (HMAC-SHA-256) from the secret
 * wordpress_salts, random per install and copied the same way: no password is their root. */

function ftservices_secret(string $name): string
{
    $value = @file_get_contents('/run/ftservices/' . $name);
    if ($value === false) {
        error_log('ftservices: /run/ftservices/' . $name . ' is not readable');
        http_response_code(503);
        exit(1);
    }
    return str_replace("\n", '', $value);
}

define('DB_NAME', '{{wordpress.database}}');
define('DB_USER', '{{users.mysqlWordpress}}');
define('DB_PASSWORD', ftservices_secret('wordpress_db_password'));
define('DB_HOST', 'mysql:{{ports.mysql}}');
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
$table_prefix = 'wp_';

$ftservices_salts = ftservices_secret('wordpress_salts');
foreach (['AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY',
          'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT'] as $ftservices_key) {
    define($ftservices_key, hash_hmac('sha256', 'ftservices-wordpress-' . $ftservices_key, $ftservices_salts));
}
unset($ftservices_salts);

/* The site follows the address the client used: https://<request host>:{{ports.wordpress}} */
$ftservices_host = isset($_SERVER['HTTP_HOST']) ? $_SERVER['HTTP_HOST'] : '';
$ftservices_host = preg_replace('/:[0-9]*$/', '', $ftservices_host);
$ftservices_host = preg_replace('/[^a-zA-Z0-9.\-\[\]:]/', '', $ftservices_host);
if ($ftservices_host === '') {
    $ftservices_host = '127.0.0.1';
}
define('WP_HOME', 'https://' . $ftservices_host . ':{{ports.wordpress}}');
define('WP_SITEURL', WP_HOME);
$_SERVER['HTTPS'] = 'on';

define('FORCE_SSL_ADMIN', true);
define('DISALLOW_FILE_EDIT', true);
define('DISALLOW_FILE_MODS', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_DEBUG', false);
