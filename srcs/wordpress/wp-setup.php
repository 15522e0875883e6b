<?php
/* ftservices: first-start WordPress installation, idempotent. Run by the entrypoint as www-data:
 *   php wp-setup.php < /run/secrets/wordpress_passwords      (lines NAME<TAB>PASSWORD)
 * Waits for the database, installs the site if needed (the first user is the administrator),
 * then makes sure every configured user exists with its role and password.
 * Never prints a password. */

function ftservices_log(string $message): void
{
    fwrite(STDERR, 'wordpress-setup: ' . $message . "\n");
}

$users = [
    ['name' => 'wpadmin', 'role' => 'administrator', 'email' => 'wpadmin@ftservices.invalid'],
    ['name' => 'editor', 'role' => 'editor', 'email' => 'editor@ftservices.invalid'],
    ['name' => 'author', 'role' => 'author', 'email' => 'author@ftservices.invalid'],
    ['name' => 'subscriber', 'role' => 'subscriber', 'email' => 'subscriber@ftservices.invalid'],
];

$passwords = [];
foreach (explode("\n", stream_get_contents(STDIN)) as $line) {
    $line = rtrim($line, "\r");
    if ($line === '') {
        continue;
    }
    $fields = explode("\t", $line, 2);
    if (count($fields) === 2 && $fields[1] !== '') {
        $passwords[$fields[0]] = $fields[1];
    }
}
foreach ($users as $user) {
    if (!isset($passwords[$user['name']])) {
        ftservices_log('no password for user ' . $user['name'] . ' in secret wordpress_passwords');
        exit(1);
    }
}

/* Wait for the database (service mysql) before loading WordPress. */
$db_password = str_replace("\n", '', (string) @file_get_contents('/run/ftservices/wordpress_db_password'));
mysqli_report(MYSQLI_REPORT_OFF);
$deadline = time() + 180;
for ($attempt = 1; ; $attempt++) {
    $link = @mysqli_connect('mysql', 'wordpress', $db_password, 'wordpress', 3306);
    if ($link) {
        mysqli_close($link);
        break;
    }
    if (time() >= $deadline) {
        ftservices_log('database mysql:3306 not reachable after 180 s: ' . mysqli_connect_error());
        exit(1);
    }
    if ($attempt === 1 || $attempt % 10 === 0) {
        ftservices_log('waiting for the database: ' . mysqli_connect_error());
    }
    sleep(2);
}

$_SERVER['HTTP_HOST'] = '127.0.0.1:5050';
$_SERVER['HTTPS'] = 'on';
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
define('WP_INSTALLING', true);
require_once '/usr/share/wordpress/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';

if (!is_blog_installed()) {
    $admin = $users[0];
    $result = wp_install('ft_services', $admin['name'], $admin['email'], true, '', $passwords[$admin['name']]);
    ftservices_log('installed WordPress, administrator ' . $admin['name'] . ' (user id ' . $result['user_id'] . ')');
} else {
    ftservices_log('WordPress already installed');
}

foreach ($users as $user) {
    $password = $passwords[$user['name']];
    $existing = get_user_by('login', $user['name']);
    if (!$existing) {
        $id = wp_insert_user([
            'user_login' => $user['name'],
            'user_pass' => $password,
            'user_email' => $user['email'],
            'role' => $user['role'],
        ]);
        if (is_wp_error($id)) {
            ftservices_log('cannot create user ' . $user['name'] . ': ' . $id->get_error_message());
            exit(1);
        }
        ftservices_log('created user ' . $user['name'] . ' (' . $user['role'] . ')');
        continue;
    }
    if (!in_array($user['role'], (array) $existing->roles, true)) {
        $existing->set_role($user['role']);
        ftservices_log('set role of ' . $user['name'] . ' to ' . $user['role']);
    }
    if (!wp_check_password($password, $existing->user_pass, $existing->ID)) {
        wp_set_password($password, $existing->ID);
        ftservices_log('updated the password of ' . $user['name'] . ' from the secret');
    }
}
exit(0);
