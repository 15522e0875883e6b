<?php
/* ftservices must-use plugin: the package manager updates WordPress (Debian package, image
 * rebuild), so WordPress does not poll api.wordpress.org for core/plugin/theme updates (which
 * only fills the logs with warnings on machines without outbound access). */
remove_action('admin_init', '_maybe_update_core');
remove_action('admin_init', '_maybe_update_plugins');
remove_action('admin_init', '_maybe_update_themes');
remove_action('wp_version_check', 'wp_version_check');
remove_action('wp_update_plugins', 'wp_update_plugins');
remove_action('wp_update_themes', 'wp_update_themes');
remove_action('wp_maybe_auto_update', 'wp_maybe_auto_update');
remove_action('init', 'wp_schedule_update_checks');
foreach (['load-plugins.php', 'load-update.php', 'load-update-core.php'] as $ftservices_hook) {
    remove_action($ftservices_hook, 'wp_update_plugins');
}
foreach (['load-themes.php', 'load-update.php', 'load-update-core.php'] as $ftservices_hook) {
    remove_action($ftservices_hook, 'wp_update_themes');
}
add_action('init', function () {
    foreach (['wp_version_check', 'wp_update_plugins', 'wp_update_themes', 'wp_maybe_auto_update'] as $hook) {
        if (wp_next_scheduled($hook)) {
            wp_clear_scheduled_hook($hook);
        }
    }
});
