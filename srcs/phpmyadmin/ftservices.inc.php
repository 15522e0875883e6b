<?php
/* ftservices: phpMyAdmin settings, included last by Debian's /etc/phpmyadmin/config.inc.php.
 * One server (the mysql service), cookie auth; no password is stored anywhere. The blowfish
 * secret is derived at request time from /run/ftservices/phpmyadmin_blowfish (copied from the
 * Swarm secret by the entrypoint, readable by www-data only). */

$ftservices_blowfish = @file_get_contents('/run/ftservices/phpmyadmin_blowfish');
if ($ftservices_blowfish === false || trim($ftservices_blowfish) === '') {
    error_log('ftservices: /run/ftservices/phpmyadmin_blowfish is not readable');
    http_response_code(503);
    exit(1);
}
/* phpMyAdmin 5.2 wants exactly 32 bytes (sodium key): derive them from the secret. */
$cfg['blowfish_secret'] = hash('sha256', str_replace("\n", '', $ftservices_blowfish), true);
unset($ftservices_blowfish);

$cfg['Servers'] = [
    1 => [
        'verbose' => 'mysql',
        'host' => 'mysql',
        'port' => '3306',
        'connect_type' => 'tcp',
        'auth_type' => 'cookie',
        'AllowNoPassword' => false,
        'AllowRoot' => false,
    ],
];
$cfg['ServerDefault'] = 1;
$cfg['LoginCookieValidity'] = 3600;
$cfg['TempDir'] = '/var/lib/phpmyadmin/tmp';
$cfg['VersionCheck'] = false;
$cfg['SendErrorReports'] = 'never';
$cfg['PmaNoRelation_DisableWarning'] = true;
$cfg['ShowPhpInfo'] = false;
